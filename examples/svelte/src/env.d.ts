// The element's types for Svelte markup (SvelteHTMLElements), checked by svelte-check.
import type {} from 'vod-uploader/svelte';
