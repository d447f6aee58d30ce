/** The catalogue of errors the API may return: a stable code, an HTTP status and a safe message. */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is not valid; start again from the first page.' },
  INVALID_GEOJSON: { status: 400, message: 'The GeoJSON is not valid.' },
  INVALID_CODE: { status: 400, message: 'The division or grid code is not valid.' },
  INVALID_HIERARCHY: { status: 400, message: 'That node cannot be placed there in the tree.' },
  IMPORT_FAILED: { status: 400, message: 'The import has errors; nothing was imported.' },
  UNAUTHENTICATED: { status: 401, message: 'Please log in.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password.' },
  PHONE_CODE_INVALID: { status: 401, message: 'The code is not right; check the text message and try again.' },
  PHONE_CODE_EXPIRED: { status: 401, message: 'The code has run out or was already used; ask for a new one.' },
  PHONE_CODE_LOCKED: { status: 401, message: 'Too many wrong tries for this code; ask for a new one.' },
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this.' },
  CROSS_SITE_REQUEST: { status: 403, message: 'A change sent from another website is refused; open the page of this system and try again there.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  CONFLICT: { status: 409, message: 'This conflicts with existing data.' },
  INVALID_TRANSITION: { status: 409, message: 'That step does not fit where the matter is now.' },
  ASSISTS_PENDING: { status: 409, message: 'Assisting handlers have not finished their part yet.' },
  NODE_IN_USE: { status: 409, message: 'The node is referred to by other data; retire it instead of deleting it.' },
  RETIRED: { status: 409, message: 'The node is retired and cannot be changed.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The upload is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'That file type is not accepted.' },
  ACCOUNT_LOCKED: { status: 423, message: 'The account is locked after repeated failed logins; try again later.' },
  LOGIN_THROTTLED: { status: 429, message: 'Too many failed logins; wait a moment and try again.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests.' },
  SMS_SEND_FAILED: { status: 502, message: 'The text message could not be sent; try again in a moment.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. Quote the request id when reporting it.' },
  NOT_READY: { status: 503, message: 'The service is not ready.' },
  BAD_SIGNATURE: { status: 401, message: 'Unknown source, or the signature does not match.' },
  STALE_TIMESTAMP: { status: 401, message: 'The timestamp is outside the ±300 s window; sign it again with the current time.' },
  MALFORMED_UPLOAD: { status: 400, message: 'The upload is not a well-formed multipart/form-data body; send the file again.' },
  MALFORMED_MESSAGE: { status: 400, message: 'The body is not a message this intake path accepts.' },
  PAGES_NOT_BUILT: { status: 503, message: 'The web pages are not built: run "npm run build:web".' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found.`);
export const forbidden = (why?: string) => new AppError('FORBIDDEN', why);

/** A refusal: 401 for an anonymous caller (log in first), 403 for a known one without the right. */
export const denied = (actor: unknown, why?: string) => (actor ? forbidden(why) : new AppError('UNAUTHENTICATED'));
