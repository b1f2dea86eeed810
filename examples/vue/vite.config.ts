import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { exampleServer } from '../shared/vite-server';

export default defineConfig({
  // Vue must leave <vod-uploader> to the browser: a custom element, not a Vue component.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'vod-uploader' } } })],
  server: exampleServer,
});
