/** An admin request the sandbox will not carry out: HTTP status and a message (Chinese for domain conflicts). */
export class AdminError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}
