# user side (filled in later)
