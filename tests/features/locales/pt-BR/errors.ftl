item_archived = O item { $id } foi arquivado em { $day }.
item_archived-title = Item arquivado
field-length = deve ter no máximo { $max } caracteres
