"""Every dialog of the app, one module per family. Each is a `ModalScreen[Result | None]` that
dismisses with its result (None when cancelled); the screen that opened it does the write."""
