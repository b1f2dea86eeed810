// Stand-in for svelte/elements (Svelte 5): `SvelteHTMLElements` and the generic `HTMLAttributes`.
export type EventHandler<E extends Event = Event, T extends EventTarget = Element> = (event: E & { currentTarget: EventTarget & T }) => any;

export interface DOMAttributes<T extends EventTarget> {
  children?: unknown;
  onclick?: EventHandler<MouseEvent, T> | undefined | null;
}
export interface HTMLAttributes<T extends EventTarget> extends DOMAttributes<T> {
  class?: unknown;
  dir?: 'ltr' | 'rtl' | 'auto' | undefined | null;
  hidden?: boolean | 'until-found' | undefined | null;
  id?: string | undefined | null;
  lang?: string | undefined | null;
  style?: string | undefined | null;
  title?: string | undefined | null;
  [key: `data-${string}`]: any;
}
export interface SvelteHTMLElements {
  div: HTMLAttributes<HTMLDivElement>;
  [name: string]: { [name: string]: any };
}
