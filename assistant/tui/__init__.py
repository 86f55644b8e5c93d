"""The Textual app: a thin view over `assistant.dialogue` (imported only when the app starts)."""
