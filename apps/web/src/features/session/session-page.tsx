// The session page (messages, composer, suggestions): a stand-in so the router can load the route
// lazily until the full page lands here.
export function SessionPage({ sessionId }: { sessionId: string }) {
  return (
    <section aria-labelledby="session-title" className="p-6">
      <h1 id="session-title" className="text-xl font-semibold">
        Session
      </h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400" data-session-id={sessionId}>
        Loading the conversation…
      </p>
    </section>
  );
}

export default SessionPage;
