import type { z } from 'zod';

/**
 * The machinery of the contract: a method is an argument schema and a result schema; an event is a payload
 * schema. The API type (what the renderer calls) and the service type (what the host implements) are both
 * derived from the one contract object, so the two sides cannot drift.
 */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly args: A;
  readonly result: R;
}
export const method = <A extends z.ZodType, R extends z.ZodType>(args: A, result: R): MethodSpec<A, R> => ({ args, result });

export type GroupSpec = Record<string, MethodSpec>;
export type ContractSpec = Record<string, GroupSpec>;
export type EventSpec = Record<string, z.ZodType>;

/** What a caller sees: `api.group.method(args) → Promise<result>`. */
export type ApiOf<C extends ContractSpec> = {
  [G in keyof C]: {
    [M in keyof C[G]]: C[G][M] extends MethodSpec<infer A, infer R>
      ? (args: z.input<A>) => Promise<z.output<R>>
      : never;
  };
};

/** What the host implements: same shape, receiving parsed arguments and the caller's context. */
export type ServicesOf<C extends ContractSpec, Ctx> = {
  [G in keyof C]: {
    [M in keyof C[G]]: C[G][M] extends MethodSpec<infer A, infer R>
      ? (args: z.output<A>, ctx: Ctx) => Promise<z.input<R>>
      : never;
  };
};

export type EventPayloads<E extends EventSpec> = { [K in keyof E]: z.output<E[K]> };

/** Channel name of a method on any transport: "kiosk:<group>.<method>". */
export const channelOf = (group: string, name: string) => `kiosk:${group}.${name}`;
export const EVENT_CHANNEL = 'kiosk:event';
