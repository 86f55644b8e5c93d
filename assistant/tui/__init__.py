"""The Textual app: a thin view over `assistant.drafting` (imported only when the app starts)."""
