// Stand-in for @types/react/jsx-runtime: what `"jsx": "react-jsx"` compiles against.
import * as React from './';
export { Fragment, JSX } from './';

export function jsx(type: React.ElementType, props: unknown, key?: React.Key): React.ReactElement;
export function jsxs(type: React.ElementType, props: unknown, key?: React.Key): React.ReactElement;
