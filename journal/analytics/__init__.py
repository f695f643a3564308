"""Pure computations and server-side SVG charts for the editor analytics (no Django)."""
