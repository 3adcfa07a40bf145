/**
 * A business refusal: the platform answers infcode -1 with this Chinese err_msg. Thrown by transactions;
 * the dispatcher rolls back whatever the transaction had written and answers the refusal (stored under the
 * msgid like any answer of a mutating transaction).
 */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}

export function refuse(message: string): never {
  throw new Refusal(message);
}
