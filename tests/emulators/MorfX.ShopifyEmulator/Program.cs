await MorfX.ShopifyEmulator.ShopifyEmulatorApp.Build(args).RunAsync();
