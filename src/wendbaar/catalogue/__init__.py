"""The learning offer (aanbod): providers' offerings in ESCO skills, OOAPI v5 in and out, search."""
