// Vite for the admin app: served under /admin/ by the server, and proxying /trpc to it in dev.
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/admin/",
  plugins: [react(), tailwindcss()],
  server: {
    port: 5174,
    proxy: { "/trpc": "http://localhost:3000" },
  },
  build: {
    target: "es2022",
  },
});
