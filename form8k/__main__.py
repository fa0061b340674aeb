from form8k.cli import main

main()
