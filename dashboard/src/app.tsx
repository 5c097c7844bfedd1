import { useState } from "react";

type Language = "id" | "en";

const TEXT = {
  id: {
    title: "Pantau",
    tagline: "Sistem contact center Direktorat Jenderal Imigrasi",
    body: "Dasbor pemantauan sedang disiapkan. API GraphQL sudah dapat digunakan.",
    api: "Buka API GraphQL",
    switchTo: "English",
  },
  en: {
    title: "Pantau",
    tagline: "Contact-center system of the Directorate General of Immigration",
    body: "The monitoring dashboard is being prepared. The GraphQL API is ready to use.",
    api: "Open the GraphQL API",
    switchTo: "Bahasa Indonesia",
  },
} satisfies Record<Language, Record<string, string>>;

export function App() {
  const [language, setLanguage] = useState<Language>("id");
  const text = TEXT[language];
  return (
    <main
      style={{
        fontFamily: "system-ui, sans-serif",
        maxWidth: 640,
        margin: "4rem auto",
        padding: "0 1rem",
        lineHeight: 1.5,
      }}
    >
      <h1 style={{ marginBottom: 0 }}>{text.title}</h1>
      <p style={{ marginTop: 4, color: "#333" }}>{text.tagline}</p>
      <p>{text.body}</p>
      <p>
        <a href="/graphql">{text.api}</a>
      </p>
      <button
        type="button"
        onClick={() => setLanguage(language === "id" ? "en" : "id")}
        lang={language === "id" ? "en" : "id"}
      >
        {text.switchTo}
      </button>
    </main>
  );
}
