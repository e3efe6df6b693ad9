using Barometre.Cli;

return BarometreCli.Run(args, Console.Out, Console.Error);
