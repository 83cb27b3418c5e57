// ESLint for our own map scripts (assets/js): classic browser scripts run inside the
// streamlit-folium iframe after Leaflet and supercluster have loaded.
import js from "@eslint/js";

export default [
    js.configs.recommended,
    {
        files: ["assets/js/**/*.js"],
        languageOptions: {
            ecmaVersion: "latest",
            sourceType: "script",
            globals: {
                L: "readonly",
                Supercluster: "readonly",
                window: "readonly",
                document: "readonly",
                fetch: "readonly",
                ResizeObserver: "readonly",
                MutationObserver: "readonly",
                setTimeout: "readonly",
            },
        },
    },
];
