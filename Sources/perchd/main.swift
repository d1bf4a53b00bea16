import PerchDaemon
PerchCommand.main()
