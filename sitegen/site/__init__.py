"""From the catalogue to files: page contexts, rendering, exports, writing, the preview
server, the review report."""
