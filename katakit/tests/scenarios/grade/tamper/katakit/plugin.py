raise SystemExit('tampered')
