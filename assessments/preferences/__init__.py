"""A person's language and time zone: the switcher on every page, the
preferences page of signed-in people, and the middleware that applies them."""
