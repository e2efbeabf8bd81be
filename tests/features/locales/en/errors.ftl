# The application's own texts, by error code; placeholders are the error's members.
item_archived = Item { $id } was archived on { $day }.
item_archived-title = Item archived
field-length = must have at most { $max } characters
