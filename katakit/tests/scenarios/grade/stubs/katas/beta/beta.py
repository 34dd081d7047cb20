def words(text):
    """Step 1: the words of text."""
    raise NotImplementedError("Step 1 (Words): split the text")
