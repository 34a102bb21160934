import sys

from puretls import main

sys.exit(main())
