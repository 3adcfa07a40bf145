import { userInfo } from 'node:os';

/** Who a command's audit rows name: `cli:<os user>`, with `/opter:<no>` when an operator number was given. */
export function actorOf(operator: string | undefined): string {
  const user = (() => {
    try {
      return userInfo().username;
    } catch {
      return 'unknown';
    }
  })();
  return operator ? `cli:${user}/opter:${operator}` : `cli:${user}`;
}
