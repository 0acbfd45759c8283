"""Import of families, persons and household surveys from CSV and XLSX files."""
