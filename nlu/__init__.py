"""Understanding: custom Rasa graph components and the multilingual training data."""
