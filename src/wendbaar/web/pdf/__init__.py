"""PDFs of our print templates: rendered once per content, kept on disk, rendered in a helper process."""
