// Stand-in for vue 3.5: `GlobalComponents`, the attribute and public props types, and `EmitFn` with
// Vue's own definition (one overload per event, taken from an object of handler types).
export interface HTMLAttributes {
  class?: unknown;
  dir?: string | undefined;
  hidden?: boolean | 'true' | 'false' | '' | 'hidden' | 'until-found' | undefined;
  id?: string | undefined;
  lang?: string | undefined;
  style?: unknown;
  title?: string | undefined;
  onClick?: ((payload: MouseEvent) => void) | undefined;
}
export interface VNodeProps {
  key?: PropertyKey;
  ref?: unknown;
}
export interface AllowedComponentProps {
  class?: unknown;
  style?: unknown;
}
export interface ComponentCustomProps {}
export type PublicProps = VNodeProps & AllowedComponentProps & ComponentCustomProps;

type ObjectEmitsOptions = Record<string, ((...args: any[]) => any) | null>;
type UnionToIntersection<U> = (U extends any ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
export type EmitFn<Options = ObjectEmitsOptions, Event extends keyof Options = keyof Options> = Options extends Array<infer V>
  ? (event: V, ...args: any[]) => void
  : {} extends Options
    ? (event: string, ...args: any[]) => void
    : UnionToIntersection<
        {
          [key in Event]: Options[key] extends (...args: infer Args) => any
            ? (event: key, ...args: Args) => void
            : Options[key] extends any[]
              ? (event: key, ...args: Options[key]) => void
              : (event: key, ...args: any[]) => void;
        }[Event]
      >;

export interface GlobalComponents {}
