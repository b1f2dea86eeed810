// Type-level checks shared by the usage files: do the generated handler and event types carry exactly
// the detail types of the event map that the element dispatches with (src/element/events.ts)?
import type { VodUploaderEventDetails } from 'vod-uploader';

export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Every value true, else false (a missing or wrong event makes one false). */
export type AllTrue<T> = [T[keyof T]] extends [true] ? true : false;

/** Per event of the map: is the `on<event>` prop a listener of exactly `CustomEvent<detail>`? */
export type HandlersMatchEventMap<Props> = {
  [K in keyof VodUploaderEventDetails]-?: Props extends { [P in `on${K}`]?: infer Handler }
    ? Equal<NonNullable<Handler>, (event: CustomEvent<VodUploaderEventDetails[K]>) => void>
    : false;
};

/** Per event of the map: is the event type exactly `CustomEvent<detail>`? */
export type EventsMatchEventMap<Events> = {
  [K in keyof VodUploaderEventDetails]-?: K extends keyof Events ? Equal<Events[K], CustomEvent<VodUploaderEventDetails[K]>> : false;
};
