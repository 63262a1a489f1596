// Size limits shared by input validation on the server and by the forms of both clients.

/** Longest message a person may send; AI output is not capped, so DTOs do not apply this. */
export const MESSAGE_TEXT_MAX = 8000;
export const SESSION_NAME_MAX = 120;
export const COLLECTION_NAME_MAX = 80;
/** Screenshots only; kept in step with the upload route's body limit. */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** A chat screenshot never holds this many lines; the cap keeps a bad OCR run from bloating JSONB. */
export const OCR_LINES_MAX = 500;
export const OCR_LINE_ID_MAX = 64;
export const OCR_LINE_TEXT_MAX = 2000;

/** Cursors travel in URLs (GET queries), so they stay short. */
export const CURSOR_MAX = 512;
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;
