'use client';
// The app's client state, above the routes: the call counters of the function properties, the last
// finished upload and the form field. The navigation shows the page-wide indicator (`pageUploads`;
// on the server its snapshot is the empty one, so the markup hydrates as rendered).
import Link from 'next/link';
import { createContext, useCallback, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { pageUploads } from 'vod-uploader';
import { makeSigning, runningLabel, type Calls, type Signing, type Uploaded } from '../../shared/backend';

interface State {
  calls: Calls;
  signing: Signing;
  uploaded: Uploaded | undefined;
  setUploaded: (uploaded: Uploaded) => void;
  video: string;
  setVideo: (video: string) => void;
}

const Context = createContext<State | null>(null);

export function useAppState(): State {
  const state = useContext(Context);
  if (!state) throw new Error('useAppState outside <AppState>');
  return state;
}

export function AppState({ children }: { children: ReactNode }) {
  const [calls, setCalls] = useState<Calls>({ signature: 0, metadata: 0 });
  const [uploaded, setUploaded] = useState<Uploaded | undefined>();
  const [video, setVideo] = useState('');
  const count = useCallback((kind: keyof Calls) => setCalls((c) => ({ ...c, [kind]: c[kind] + 1 })), []);
  const signing = useMemo(() => makeSigning('Next.js', count), [count]);
  const value = useMemo(() => ({ calls, signing, uploaded, setUploaded, video, setVideo }), [calls, signing, uploaded, video]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function Nav() {
  const { running } = useSyncExternalStore(pageUploads.subscribe, pageUploads.getSnapshot, pageUploads.getSnapshot);
  return (
    <nav>
      <Link href="/upload">Upload</Link> · <Link href="/about">About</Link>
      <span data-testid="running">{runningLabel(running)}</span>
    </nav>
  );
}

export function Counters() {
  const { calls } = useAppState();
  return (
    <dl>
      <dt>signatureProvider calls</dt>
      <dd data-testid="signature-calls">{calls.signature}</dd>
      <dt>metadata calls</dt>
      <dd data-testid="metadata-calls">{calls.metadata}</dd>
    </dl>
  );
}
