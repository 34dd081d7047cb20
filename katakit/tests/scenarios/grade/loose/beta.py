def words(text):
    """Step 1: the words of text."""
    return text.split()
