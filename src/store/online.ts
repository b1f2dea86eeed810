// Whether the browser is online, for the engine: navigator.onLine and its events, or a constant for
// environments without them (Node, tests).

import type { OnlineSource } from '../engine/types.js';

/** navigator.onLine plus 'online'/'offline' events; "online" where the platform cannot tell. */
export function browserOnlineSource(): OnlineSource {
  const hasNavigator = typeof navigator !== 'undefined' && typeof navigator.onLine === 'boolean';
  const target = typeof window !== 'undefined' ? window : undefined;
  return {
    // onLine === false is reliable (no network at all); true only means "maybe", which retries cover.
    isOnline: () => (hasNavigator ? navigator.onLine : true),
    subscribe(listener) {
      if (!target) return () => undefined;
      const online = (): void => listener(true);
      const offline = (): void => listener(false);
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        target.removeEventListener('online', online);
        target.removeEventListener('offline', offline);
      };
    },
  };
}

/** Always online, never changes. */
export const alwaysOnline: OnlineSource = {
  isOnline: () => true,
  subscribe: () => () => undefined,
};
