from smtui.cli import main

raise SystemExit(main())
