// The element's look: adopted stylesheets only (works under `style-src 'self'`), themed through
// --vod-uploader-* custom properties, light and dark, reduced motion, readable at 200% zoom.
import { css } from 'lit';

export const uploaderStyles = css`
  :host {
    --_accent: var(--vod-uploader-accent-color, #2563eb);
    --_bg: var(--vod-uploader-background, #ffffff);
    --_text: var(--vod-uploader-text-color, #1f2937);
    --_muted: var(--vod-uploader-muted-color, #4b5563);
    --_border: var(--vod-uploader-border-color, #9ca3af);
    --_error: var(--vod-uploader-error-color, #b91c1c);
    --_success: var(--vod-uploader-success-color, #15803d);
    --_track: var(--vod-uploader-track-color, #e5e7eb);
    --_radius: var(--vod-uploader-radius, 8px);
    --_space: var(--vod-uploader-spacing, 0.75rem);
    --_font: var(--vod-uploader-font, system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    display: block;
    font-family: var(--_font);
    color: var(--_text);
    line-height: 1.4;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--vod-uploader-accent-color, #93c5fd);
      --_bg: var(--vod-uploader-background, #111827);
      --_text: var(--vod-uploader-text-color, #f3f4f6);
      --_muted: var(--vod-uploader-muted-color, #d1d5db);
      --_border: var(--vod-uploader-border-color, #6b7280);
      --_error: var(--vod-uploader-error-color, #fca5a5);
      --_success: var(--vod-uploader-success-color, #86efac);
      --_track: var(--vod-uploader-track-color, #374151);
    }
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  [part='base'] {
    background: var(--_bg);
    border-radius: var(--_radius);
    display: grid;
    gap: var(--_space);
  }
  [part='dropzone'] {
    display: grid;
    place-items: center;
    gap: 0.25rem;
    text-align: center;
    padding: calc(var(--_space) * 2) var(--_space);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
    transition: border-color 0.15s, background-color 0.15s;
  }
  [part='dropzone']:hover,
  .drag-accept [part='dropzone'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 8%, transparent);
  }
  .drag-reject [part='dropzone'] {
    border-color: var(--_error);
    background: color-mix(in srgb, var(--_error) 8%, transparent);
  }
  [part='dropzone']:has(input:focus-visible) {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .disabled [part='dropzone'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .title {
    font-weight: 600;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875em;
  }
  /* Hidden from sight, not from keyboards, screen readers or automation. */
  .visually-hidden,
  [part='input'] {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space);
  }
  [part='file'] {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: var(--_space);
    align-items: start;
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part='poster'] {
    width: 6rem;
    aspect-ratio: 16 / 9;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_track);
    display: block;
  }
  .info {
    display: grid;
    gap: 0.35rem;
    min-width: 0;
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .meta {
    color: var(--_muted);
    font-size: 0.875em;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
  }
  [part~='progress'] {
    height: 0.5rem;
    border-radius: 999px;
    background: var(--_track);
    overflow: hidden;
  }
  .fill {
    height: 100%;
    background: var(--_accent);
    transform-origin: left center;
    transform: scaleX(var(--vod-uploader-fraction, 0));
    /* No transition: progress arrives every 200 ms, and a 0.2 s transition between updates kept the
       compositor drawing frames for the whole upload (without a GPU, on the CPU the upload needs:
       bench/README.md, "The HTTPS rows"). The bar steps 5 times a second instead. */
  }
  :host(:dir(rtl)) .fill {
    transform-origin: right center;
  }
  [data-status='done'] .fill {
    background: var(--_success);
  }
  [data-status='error'] .fill {
    background: var(--_error);
  }
  [part='status'] {
    font-size: 0.875em;
    overflow-wrap: anywhere;
  }
  [data-status='error'] [part='status'],
  .notice {
    color: var(--_error);
  }
  [data-status='done'] [part='status'] {
    color: var(--_success);
  }
  [part='status'] a {
    color: var(--_accent);
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  [part~='button'] {
    font: inherit;
    font-size: 0.875em;
    color: var(--_text);
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.25rem 0.75rem;
    min-height: 2rem;
    cursor: pointer;
  }
  [part~='button']:hover {
    border-color: var(--_accent);
  }
  [part~='button']:focus-visible,
  a:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .notice {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--_space);
    padding: 0.5rem var(--_space);
    border: 1px solid currentColor;
    border-radius: var(--_radius);
  }
  .notice span {
    color: var(--_text);
  }
  .notice {
    flex-wrap: wrap;
  }
  [part='notice-details'] {
    flex-basis: 100%;
    color: var(--_text);
    font-size: 0.875em;
  }
  [part='notice-details'] ul {
    max-height: 12rem;
    overflow: auto;
  }
  [part='toolbar'],
  [part='reading'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  [part='toolbar'][hidden] {
    display: none;
  }
  .restorable {
    display: grid;
    gap: 0.5rem;
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
  }
  [part='summary'] {
    display: grid;
    gap: 0.5rem;
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part='summary-counts'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1rem;
    font-size: 0.875em;
  }
  [part='summary-counts'] .failed {
    color: var(--_error);
    font-weight: 600;
  }
  [part='summary-actions'],
  [part='filter'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  [part~='filter-button'][aria-pressed='true'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
    font-weight: 600;
  }
  /* The windowed list (queue-window.ts): a scroll box of compact rows of one fixed height. */
  [part='list'] {
    max-height: var(--vod-uploader-list-max-height, 32rem);
    overflow-y: auto;
    overscroll-behavior: contain;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part='list'] ul {
    display: block;
  }
  [part='list'] [part='file'] {
    display: block;
    height: 5rem;
    overflow: hidden;
    padding: 0.4rem var(--_space);
    border: 0;
    border-bottom: 1px solid var(--_track);
    border-radius: 0;
  }
  [part='list'] .info {
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.2rem 0.75rem;
  }
  [part='list'] .name,
  [part='list'] [part='status'] {
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part='list'] .meta {
    justify-self: end;
  }
  [part='list'] [part~='progress'] {
    grid-column: 1 / -1;
  }
  [part='list'] [part~='button'] {
    min-height: 1.75rem;
    padding: 0 0.5rem;
  }
  h2 {
    font-size: 1em;
    margin: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;
