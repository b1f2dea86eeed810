// The layout stays mounted across client-side navigations: the navigation with the page-wide upload
// indicator and the app's state (call counters, the last upload, the form field) live here.
import type { ReactNode } from 'react';
import { AppState, Counters, Nav } from './app-state';

export const metadata = { title: 'vod-uploader in Next.js', icons: { icon: 'data:,' } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AppState>
          <Nav />
          {children}
          <Counters />
        </AppState>
      </body>
    </html>
  );
}
