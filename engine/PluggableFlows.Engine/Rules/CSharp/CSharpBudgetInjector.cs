using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PluggableFlows.Engine.Rules.CSharp;

/// <summary>
/// Rewrites checked rules for running: <c>RuleBudget.Tick()</c> at the top of every loop body and
/// <c>RuleBudget.Enter()</c> at the top of every lambda and local function, so loops and recursion are bounded.
/// Runs on the tree the sandbox accepted; the generated scaffolding has no loops or functions of its own.
/// </summary>
internal sealed class CSharpBudgetInjector(SemanticModel model) : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax Tick = Call("Tick");
    private static readonly StatementSyntax Enter = Call("Enter");

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        Loop((WhileStatementSyntax)base.VisitWhileStatement(node)!);

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        Loop((DoStatementSyntax)base.VisitDoStatement(node)!);

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        Loop((ForStatementSyntax)base.VisitForStatement(node)!);

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        Loop((ForEachStatementSyntax)base.VisitForEachStatement(node)!);

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) =>
        Loop((ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!);

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var returnsVoid = model.GetDeclaredSymbol(node) is IMethodSymbol { ReturnsVoid: true };
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        var body = Body(visited.Body, visited.ExpressionBody?.Expression, returnsVoid);
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body);
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => Lambda(node, base.VisitParenthesizedLambdaExpression(node));

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => Lambda(node, base.VisitSimpleLambdaExpression(node));

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => Lambda(node, base.VisitAnonymousMethodExpression(node));

    private SyntaxNode Lambda(AnonymousFunctionExpressionSyntax original, SyntaxNode? visited)
    {
        var returnsVoid = model.GetSymbolInfo(original).Symbol is IMethodSymbol { ReturnsVoid: true };
        var lambda = (AnonymousFunctionExpressionSyntax)visited!;
        var body = Body(lambda.Block, lambda.ExpressionBody, returnsVoid);
        return lambda.WithExpressionBody(null).WithBlock(body);
    }

    private static BlockSyntax Body(BlockSyntax? block, ExpressionSyntax? expression, bool returnsVoid)
    {
        if (block is not null)
        {
            return block.WithStatements(block.Statements.Insert(0, Enter));
        }

        StatementSyntax statement = returnsVoid ? ExpressionStatement(expression!) : ReturnStatement(expression!);
        return Block(Enter, statement);
    }

    private static StatementSyntax Loop(StatementSyntax loop) => loop switch
    {
        WhileStatementSyntax l => l.WithStatement(Prepend(Tick, l.Statement)),
        DoStatementSyntax l => l.WithStatement(Prepend(Tick, l.Statement)),
        ForStatementSyntax l => l.WithStatement(Prepend(Tick, l.Statement)),
        CommonForEachStatementSyntax l => l.WithStatement(Prepend(Tick, l.Statement)),
        _ => loop,
    };

    private static BlockSyntax Prepend(StatementSyntax first, StatementSyntax body) =>
        body is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, first)) : Block(first, body);

    private static StatementSyntax Call(string name) =>
        ParseStatement($"global::PluggableFlows.Engine.Rules.CSharp.Runtime.RuleBudget.{name}();");
}
