// The message a refused input gives for one field, so a form can show it under that field: from
// the fields a bad input names, or from a refusal (a clash) that names the field in its details.
export function fieldError(error: unknown, field: string): string | undefined {
  const refused = error as {
    message?: string;
    data?: { fieldErrors?: Record<string, string[]>; details?: { field?: unknown } };
  } | null;
  const listed = refused?.data?.fieldErrors?.[field]?.join("; ");
  if (listed) return listed;
  return refused?.data?.details?.field === field ? refused.message : undefined;
}
