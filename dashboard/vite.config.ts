import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { "/graphql": { target: "http://localhost:4000", ws: true } },
  },
  build: { outDir: "dist", sourcemap: true },
});
