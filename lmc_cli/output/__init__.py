"""Output: turning records into text, pictures and pages."""
