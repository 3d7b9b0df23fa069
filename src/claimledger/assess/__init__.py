"""Assessment across documents: source registry, claim groups, corroboration, grades."""
