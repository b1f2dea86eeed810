import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { exampleServer } from '../shared/vite-server';

export default defineConfig({ plugins: [react()], server: exampleServer });
