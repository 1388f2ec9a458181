# boot images (filled in later)
