import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { exampleServer } from '../shared/vite-server';

export default defineConfig({ plugins: [svelte()], server: exampleServer });
