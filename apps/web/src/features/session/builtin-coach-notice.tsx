// Says plainly when the built-in offline coach (not an AI model) is answering, and where an
// administrator connects a model, so nobody mistakes its canned replies for a model's.
export const ADMIN_MODELS_PATH = "/admin/models";

export function BuiltinCoachNotice() {
  return (
    <p
      role="note"
      data-builtin-coach-notice
      className="mx-3 mt-3 rounded-xl border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 sm:mx-6 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-100"
    >
      <strong className="font-semibold">No AI model is connected.</strong> The built-in offline coach is answering: it
      picks replies and suggestions from Lockstep&apos;s own knowledge base and does not understand your messages the
      way a model would. An administrator can connect a model in the admin tool at{" "}
      <a href={ADMIN_MODELS_PATH} className="font-medium underline">
        {ADMIN_MODELS_PATH}
      </a>
      .
    </p>
  );
}
