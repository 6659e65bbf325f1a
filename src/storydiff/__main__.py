from storydiff.cli import main

main()
