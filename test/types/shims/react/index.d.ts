// Stand-in for @types/react 19: the module shape (`export =` a namespace with JSX in it) and the
// attribute types the generated JSX types extend.
export = React;
export as namespace React;

declare namespace React {
  type Key = string | number | bigint;
  interface ReactElement {
    type: unknown;
    props: unknown;
    key: string | null;
  }
  type ReactNode = ReactElement | string | number | bigint | boolean | null | undefined | Iterable<ReactNode>;
  type JSXElementConstructor<P> = (props: P) => ReactNode;
  type ElementType = string | JSXElementConstructor<any>;
  interface RefObject<T> {
    current: T;
  }
  type Ref<T> = ((instance: T | null) => void) | RefObject<T | null> | null;
  interface Attributes {
    key?: Key | null | undefined;
  }
  interface RefAttributes<T> extends Attributes {
    ref?: Ref<T> | undefined;
  }
  interface ClassAttributes<T> extends RefAttributes<T> {}
  interface SyntheticEvent<T = Element> {
    currentTarget: EventTarget & T;
    nativeEvent: Event;
  }
  interface DOMAttributes<T> {
    children?: ReactNode | undefined;
    onClick?: ((event: SyntheticEvent<T>) => void) | undefined;
  }
  interface HTMLAttributes<T> extends DOMAttributes<T> {
    className?: string | undefined;
    dir?: string | undefined;
    hidden?: boolean | undefined;
    id?: string | undefined;
    lang?: string | undefined;
    style?: Record<string, string | number> | undefined;
    title?: string | undefined;
  }
  type DetailedHTMLProps<E extends HTMLAttributes<T>, T> = ClassAttributes<T> & E;
  const Fragment: (props: { children?: ReactNode }) => ReactNode;

  namespace JSX {
    type ElementType = string | JSXElementConstructor<any>;
    interface Element extends ReactElement {}
    interface ElementAttributesProperty {}
    interface ElementChildrenAttribute {
      children: {};
    }
    interface IntrinsicAttributes extends React.Attributes {}
    interface IntrinsicElements {
      div: DetailedHTMLProps<HTMLAttributes<HTMLDivElement>, HTMLDivElement>;
    }
  }
}
