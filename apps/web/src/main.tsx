// Entry point of the web app: builds the app once and mounts it.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createApp } from "./app.tsx";
import "./index.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

const { App } = createApp();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
