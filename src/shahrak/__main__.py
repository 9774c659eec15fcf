from shahrak.cli import main

main()
