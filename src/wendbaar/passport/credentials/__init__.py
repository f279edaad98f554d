"""Open Badges 3.0 credentials without Django: build, sign (VC-JWT RS256 and eddsa-rdfc-2022), verify, status lists."""
