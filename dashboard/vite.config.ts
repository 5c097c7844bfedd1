import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/graphql": { target: "http://localhost:4000", ws: true },
      "/export": { target: "http://localhost:4000" },
    },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1200 },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
